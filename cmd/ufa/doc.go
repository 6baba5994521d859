// Command ufa is the assessment pipeline for united-front work in social
// organizations in Liaoning. main only parses the command name, wires the
// logger and maps errors to exit codes; each command lives in its own file.
//
// It owns the command line: flags, what is printed, the advice that names
// a command or a flag, and exit codes (main alone maps errors to them). It
// must not hold a workflow or SQL of its own: the work is in package
// pipeline and the stages, which ufa serve (the portal) calls as well, so
// the two cannot drift apart.
package main
