-- expect: exit 2
-- known-failing: lua/messages (an error raised by a C function as sweep_exclude names no line)
-- message: attempt to yield from outside a coroutine
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
  sweep_exclude = coroutine.yield,
}
