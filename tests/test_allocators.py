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
