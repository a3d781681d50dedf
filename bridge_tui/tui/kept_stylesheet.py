"""Textual's stylesheet, parsing each source once for as long as the theme stays the same.

Textual refreshes the CSS when the app shows its first screen and when a screen (a mode) shows
for the first time, and each refresh parses every stylesheet again from nothing: bridge's
eighteen stylesheets and every widget's default CSS, about 60 ms of the start-up and of each
screen's first opening on a 2-core machine. The rules a parse gives depend only on the sources
and the CSS variables, so while the variables are the same a refresh reuses what was already
parsed (Textual's own per-source cache) and parses only what is new; another theme changes the
variables and parses everything again, once. The refresh itself still restyles every
widget, so nothing that depends on it (the breakpoints' classes) changes.

It also keeps the styles of widgets' component classes (a board column's fourteen, a list's
highlighted option) for the next widget alike to one already styled (`_process_component_classes`),
places the dialogs' shared sheet first when it is read late (`read_first`), and keeps the
parses of screens' sheets made ahead in the app's warm-up thread (`parse_ahead`).
"""

from __future__ import annotations

from pathlib import Path, PurePath

from textual.css.model import RuleSet, SelectorType
from textual.css.stylesheet import RulesMap, Stylesheet
from textual.dom import DOMNode


class KeptStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        #: the variables the kept parses were made with
        self._kept_variables = dict(variables or {})
        #: component-class rules by what decides them (`_process_component_classes`), for
        #: the parse they were worked out from
        self._components: dict[tuple[object, ...], dict[str, RulesMap]] = {}
        self._components_for: list[RuleSet] | None = None
        #: component classes -> the ids and pseudo-classes their rules test
        self._tested: dict[frozenset[str], tuple[frozenset[str], tuple[str, ...]]] = {}
        #: the rules given to component-class nodes while they are worked out
        self._caught: dict[str, RulesMap] | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._kept_variables:
            return
        self._kept_variables = dict(variables)
        super().set_variables(variables)  # forgets every source's parse

    def reparse(self) -> None:
        """Parse every source not parsed with the variables as they are now, here.

        Textual's own reparse parses everything in a fresh stylesheet and keeps only its
        rules, so after a new theme the next refresh (the first showing of a screen) parsed
        every source a third time. Parsing here keeps each source's parse for the refreshes
        after it. A source that does not parse leaves the rules as they were, as Textual's
        does (`parse` sets them only once every source has parsed)."""
        self.parse()

    def parse_ahead(
        self, paths: list[Path]
    ) -> tuple[dict[str, str], dict[tuple[object, ...], list[RuleSet]]]:
        """Read and parse the sheets at `paths` in a sheet of their own, with this sheet's
        variables (for a thread: nothing of this sheet changes): the variables used, and the
        parses by the key `parse` looks them up by. `keep_parsed` then keeps them here."""
        variables = dict(self._kept_variables)
        scratch = Stylesheet(variables=variables)
        for path in paths:
            scratch.read(path)
        scratch.parse()
        kept = scratch._parse_cache
        keys = kept.keys()  # an LRUCache: not iterable as a dict
        return variables, {key: kept[key] for key in keys}

    def keep_parsed(
        self, variables: dict[str, str], parsed: dict[tuple[object, ...], list[RuleSet]]
    ) -> None:
        """Keep what `parse_ahead` parsed, unless the variables changed meanwhile (a theme)."""
        if variables != self._kept_variables:
            return
        for key, rules in parsed.items():
            if key not in self._parse_cache:
                self._parse_cache[key] = rules

    def read_first(self, path: PurePath) -> bool:
        """Read the sheet at `path` as though it had been read before every other source;
        False if it was read already.

        Of two rules as specific as each other, the one read later wins: a sheet read late
        but placed first gives every rule the same winner as reading it first would have."""
        if self.has_source(str(path)):
            return False
        self.read(path)
        read = next(reversed(self.source))  # the source just added
        self.source = {read: self.source.pop(read), **self.source}
        return True

    # component classes ------------------------------------------------------------------------

    def _component_key(self, node: DOMNode, components: frozenset[str]) -> tuple[object, ...]:
        """What decides the styles of `node`'s component classes: for `node` and each of its
        ancestors, its type and classes, and the ids and pseudo-classes that the rules
        naming those component classes test (every selector matches on those alone)."""
        tested = self._tested.get(components)
        if tested is None:
            rules_map = self.rules_map
            rules = {
                r
                for name in ("*", "DOMNode", *(f".{c}" for c in components))
                for r in rules_map.get(name, ())
            }
            ids = frozenset(
                selector.name
                for rule in rules
                for chosen in rule.selector_set
                for selector in chosen.selectors
                if selector.type == SelectorType.ID
            )
            pseudo = tuple(sorted({p for rule in rules for p in rule.pseudo_classes}))
            tested = self._tested[components] = (ids, pseudo)
        ids, pseudo = tested
        return tuple(
            (
                type(n),
                n.id if n.id in ids else None,
                frozenset(n._classes),
                tuple(p for p in pseudo if n.has_pseudo_class(p)),
            )
            for n in node.ancestors_with_self
        )

    def _process_component_classes(self, node: DOMNode) -> None:
        """Textual works out a widget's component-class styles (`board-column--card`, ...) by
        matching every rule against a made-up node per class, for every widget anew: fourteen
        per board column. Widgets whose own and ancestors' types, ids, classes and
        pseudo-classes are alike get the same styles, so those are worked out once per
        stylesheet parse and given to the next alike widget as Textual gives its own cached
        rules (`replace_rules`)."""
        components = node._get_component_classes()
        if not components:
            return
        rules = self.rules
        if rules is not self._components_for:
            self._components_for = rules
            self._components.clear()
            self._tested.clear()
        chosen = frozenset(components)
        key = (self._component_key(node, chosen), chosen)
        kept = self._components.get(key)
        if kept is None:
            found: dict[str, RulesMap] = {}
            self._caught = found
            try:
                super()._process_component_classes(node)
            finally:
                self._caught = None
            self._components[key] = found
            return
        old = node._component_styles.copy()
        node._component_styles.clear()
        changed = False
        for component in sorted(components):
            virtual = DOMNode(classes=component)
            virtual._attach(node)
            self.replace_rules(virtual, kept.get(component, {}), animate=False)
            changed = changed or old.get(component) != virtual.styles
            node._component_styles[component] = virtual.styles
        if changed:
            node.refresh()

    def replace_rules(  # type: ignore[override]
        self, node: DOMNode, rules: RulesMap, animate: bool = False
    ) -> None:
        caught = self._caught
        if caught is not None and type(node) is DOMNode:  # a component class's own node
            caught[next(iter(node._classes))] = rules
        super().replace_rules(node, rules, animate)
