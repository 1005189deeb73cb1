"""flows.allocators: set once at start-up, results unchanged."""

import subprocess
import sys


def test_configure_hands_pyarrow_the_system_allocator_and_allocation_still_works():
    code = (
        "import pyarrow as pa\n"
        "from flows import allocators\n"
        "allocators.configure()\n"
        "print(pa.default_memory_pool().backend_name)\n"
        "print(pa.array(range(100000)).sum().as_py())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["system", str(sum(range(100000)))]


def test_collect_less_freezes_the_imports_and_still_frees_later_cycles():
    code = (
        "import gc, weakref\n"
        "from flows import allocators\n"
        "allocators.collect_less()\n"
        "print(gc.get_threshold() == allocators.GC_THRESHOLDS, gc.get_freeze_count() > 0)\n"
        "class Node: pass\n"
        "a, b = Node(), Node()\n"
        "a.other, b.other = b, a\n"
        "alive = weakref.ref(a)\n"
        "del a, b\n"
        "gc.collect()\n"
        "print(alive() is None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True", "True"]
