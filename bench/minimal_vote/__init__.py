"""The bench's baseline vote: a minimal Django view, installed only by bench/polls_settings.py.

`bench/polls_ballots.py` measures Vestnik's vote endpoint beside this one in
the same run, under the same gunicorn; see docs/performance.md, "Polls".
"""
