-- expect: exit 2
-- message: duration: expected a number, got string
-- known-failing: lua/messages (a bad swept value is blamed on a --set the user never typed, without the sweep's line)
return {
  devices = { { count = 1 } },
  sweep = { duration = { "1h", "2h" } },
}
