#!/usr/bin/env bash
# Placeholder until the dashboards land: nothing to fetch yet.
exit 0
