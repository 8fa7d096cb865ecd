"""Settings for the bench's `migrate` step only; the server runs `bench.settings`.

An app whose models are written before its first migration (the tree is edited
by several people at once) would leave its tables missing, and any page delete
that cascades into them would fail. Marking such apps unmigrated lets
`migrate --run-syncdb` create their tables from the models; apps with
migrations are migrated as usual.
"""

from bench.settings import *  # noqa: F403  (extends the measured settings)
from vestnik.settings.production import PROJECT_DIR

MIGRATION_MODULES = {
    app_dir.name: None
    for app_dir in sorted(PROJECT_DIR.iterdir())
    if (app_dir / "models.py").exists()
    and (app_dir / "migrations").is_dir()
    and not any(path.name != "__init__.py" for path in (app_dir / "migrations").glob("*.py"))
}
