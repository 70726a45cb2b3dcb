-- expect: exit 2
-- message: devices[1].count: must be >= 1 (got -5)
-- known-failing: lua/messages (a bad swept value is blamed on a --set the user never typed, without the sweep's line)
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 10, -5 } },
}
