"""The rule checks, one small function per rule id, grouped by what they look at.

Each check takes a RepoScan and the Policy and yields Findings; the engine (rules/engine.py)
turns them into Violations with the rule id, product, repository, severity and waiver.
"""
