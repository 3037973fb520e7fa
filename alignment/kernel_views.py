"""Borrowed array views for the compiled solvers' inner loops.

numba counts references to every array a compiled function holds, with an atomic add each time
an array variable is bound and released. In the solvers' loops, where an iteration is a few
dozen flops on a handful of products and the building blocks are inlined, those counts would
be a fifth of a batch's time. A *borrowed* view is the same array without an owner: binding it
costs nothing. It is only valid while its owner lives, so a solver borrows its arguments (the
caller holds them for the call) and the work arrays it keeps to its end.
"""

from __future__ import annotations

import numpy as np
from numba.core import cgutils, types
from numba.extending import intrinsic, overload


def borrowed(array):
    """A view of ``array`` with no owner: the same data, shape and strides, and no reference
    counting. Valid only while ``array``'s owner lives. In Python (numba's JIT disabled, as
    when stepping through a solver) it is ``array`` itself."""
    return array


@overload(borrowed, inline="always")
def _borrowed(array):
    if isinstance(array, types.Array):
        return lambda array: _unowned(array)
    return None


@intrinsic
def _unowned(typingctx, array):
    def codegen(context, builder, signature, args):
        source = context.make_array(array)(context, builder, value=args[0])
        view = context.make_array(array)(context, builder)
        view.meminfo = cgutils.get_null_value(view.meminfo.type)
        view.parent = cgutils.get_null_value(view.parent.type)
        for name in ("nitems", "itemsize", "data", "shape", "strides"):
            setattr(view, name, getattr(source, name))
        return view._getvalue()

    return array(array), codegen


def read_only(*values):
    """``values`` with every array as a read-only view (the same data, no copy), scalars as
    they are.

    numba compiles a kernel once per argument type, and whether an array is writable is part
    of its type: a single plan's columns arrive as read-only broadcast views, a batch's as
    fresh copies. Passing every input read-only gives each kernel one compiled form, the one
    :func:`alignment.kernel_cache.warm` compiles at a server's start, instead of a second
    compile (about 25 s) in the middle of someone's first price sweep.
    """
    views = []
    for value in values:
        if isinstance(value, np.ndarray):
            value = value.view()
            value.flags.writeable = False
        views.append(value)
    return views
