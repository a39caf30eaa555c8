"""The kernel: the records, errors and licence knowledge every stage shares.

It imports nothing else of os2scan, so collectors, analysis, rules, reports and the command line
can all depend on it without depending on each other.
"""
