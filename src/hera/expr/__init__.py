"""Python → Argo `expr` transpiler: build expressions with Python operators, render them with `str()`.

`g` is the root of global names (`g.inputs.parameters.x`), `it` the current element in a closure (`#`),
`C` a constant, `P` parentheses and `sprig` the sprig function namespace (`sprig.trim(x)`).
Format specs: `f"{e:$}"` → `{{e}}`, `f"{e:=}"` → `{{=e}}`.
"""

from __future__ import annotations

from hera.expr._nodes import C, Global, Identifier, It, Node, P

g = Global()
it = It()
sprig = Identifier("sprig")

__all__ = ["C", "Node", "P", "g", "it", "sprig"]
