"""English translations of demo articles, one module each defining TRANSLATION."""
