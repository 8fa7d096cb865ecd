"""The entity form of the admin: a rename keeps the old name as an alias.

Extraction finds entities by their names; without this, renaming «Министерство
обороны» to «Министерство обороны Казахстана» would make the next run create
the old entity anew.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminModelForm

from vestnik.insights.services import aliases_with


class EntityForm(WagtailAdminModelForm):
    def save(self, commit: bool = True) -> Any:
        if self.instance.pk is not None and "name" in self.changed_data:
            old_name = self.initial.get("name", "")
            if old_name:
                self.instance.aliases = aliases_with(self.instance, old_name)
        return super().save(commit=commit)
