"""The API read benchmark (``bench/api_reads.py``): Tarian's reads through gunicorn against a
bare Django view reading the same row.

Modules: ``population`` loads the register (the seed's area and referrals), makes the readers
and picks what each endpoint is asked; ``bare`` writes the bare Django project; ``traffic``
sends concurrent requests and times them.
"""
