"""Which attributes a SCIM response carries (RFC 7644 section 3.9): `attributes` names the
only ones wanted, `excludedAttributes` the ones left out of the default set. `schemas` and `id`
(returned "always") are in every resource either way. Names are case-insensitive, may carry
their schema URN and may name a sub-attribute (`name.formatted`, `emails.value`,
`meta.lastModified`); a name the resource does not have selects nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.domain.scim_filter import Path, PathError, parse_path

_ALWAYS = frozenset({"schemas", "id"})


@dataclass(frozen=True, slots=True)
class Selection:
    attributes: tuple[Path, ...] = ()
    excluded: tuple[Path, ...] = ()

    @classmethod
    def parse(cls, attributes: object, excluded: object) -> Selection:
        """From the query parameters (comma-separated) or a SearchRequest (lists of
        strings); ValueError for anything else. The two are mutually exclusive."""
        wanted, left_out = _names(attributes), _names(excluded)
        if wanted and left_out:
            raise ValueError("attributes and excludedAttributes exclude each other")
        return cls(wanted, left_out)

    def wants(self, attribute: str) -> bool:
        """Whether the top-level attribute (lowercased) is returned at all: the caller need
        not load what nobody asked for (a group's members)."""
        if self.attributes:
            return any(path.attribute == attribute for path in self.attributes)
        return not any(path.attribute == attribute and path.sub_attribute is None
                       for path in self.excluded)

    def apply(self, resource: dict) -> dict:
        if not self.attributes and not self.excluded:
            return resource
        chosen: dict = {}
        for key, value in resource.items():
            name = key.lower()
            if name in _ALWAYS:
                chosen[key] = value
            elif self.attributes:
                subs = _plan(self.attributes).get(name, ())
                if subs is None:
                    chosen[key] = value
                elif subs:
                    _keep(chosen, key, _only(value, subs))
            else:
                subs = _plan(self.excluded).get(name, ())
                if subs == ():
                    chosen[key] = value
                elif subs is not None:
                    _keep(chosen, key, _without(value, subs))
        return chosen


def _names(raw: object) -> tuple[Path, ...]:
    if raw is None or raw == "":
        return ()
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        raise ValueError("attributes and excludedAttributes must be lists of attribute names")
    paths = []
    for name in (name.strip() for name in raw):
        try:
            path = parse_path(name) if name else None
        except PathError as exc:
            raise ValueError(f"{name!r} is not an attribute name") from exc
        if path is not None and path.value_filter is not None:
            raise ValueError(f"{name!r} is not an attribute name")
        if path is not None:
            paths.append(path)
    return tuple(paths)


def _plan(paths: tuple[Path, ...]) -> dict[str, frozenset[str] | None]:
    """Attribute -> None for the whole attribute, or the sub-attributes named."""
    plan: dict[str, frozenset[str] | None] = {}
    for path in paths:
        if path.sub_attribute is None:
            plan[path.attribute] = None
        elif plan.get(path.attribute, frozenset()) is not None:
            plan[path.attribute] = plan.get(path.attribute, frozenset()) | {path.sub_attribute}
    return plan


def _only(value: object, subs: frozenset[str]) -> object:
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if key.lower() in subs}
    if isinstance(value, list):
        return [kept for kept in (_only(item, subs) for item in value) if kept]
    return None


def _without(value: object, subs: frozenset[str]) -> object:
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if key.lower() not in subs}
    if isinstance(value, list):
        return [kept for kept in (_without(item, subs) for item in value) if kept]
    return value


def _keep(chosen: dict, key: str, value: object) -> None:
    if value not in (None, {}, []):
        chosen[key] = value
