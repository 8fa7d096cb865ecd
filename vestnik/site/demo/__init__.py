"""Demo content written for Vestnik itself: experts, articles, tags, sections, accounts.

`content` holds the texts as plain data, `images` draws the illustrations with
Pillow, `loader.demo_content_ensure()` writes them through the same article
service the importers use. Loading is idempotent: what is already there is
recognised by its source fingerprint and left alone.
"""
