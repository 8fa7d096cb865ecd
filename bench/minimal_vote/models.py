"""What a minimal vote needs: a counter per option and one row per ballot.

The voter column is unique, so a voter counted twice would fail loudly; the
options column lets the bench check afterwards that every counter equals the
number of ballots that chose it.
"""

from django.db import models
from django.utils import timezone


class MinimalOption(models.Model):
    poll = models.PositiveIntegerField(db_index=True)
    votes = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.poll}/{self.pk}: {self.votes}"


class MinimalBallot(models.Model):
    poll = models.PositiveIntegerField()
    voter = models.CharField(max_length=40, unique=True)
    options = models.CharField(max_length=200)  # "3,5,7": the option ids, ascending
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.voter
