-- expect: exit 2
-- message: attempt to yield from outside a coroutine
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
  sweep_exclude = coroutine.yield,
}
