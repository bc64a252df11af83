"""Business rules, one verb per module. Called alike from the API, the web UI, the CLI and jobs.

Every service takes the unit of work first and keyword-only, typed arguments after it. Services
never commit; they record stream events and jobs on the unit of work, which the commit releases.
"""
