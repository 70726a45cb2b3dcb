-- expect: exit 2
-- message: must be a finite number
-- known-failing: lua/messages (a bad swept value is blamed on a --set the user never typed, without the sweep's line)
return {
  devices = { { count = 1 } },
  duration = 60,
  sweep = { duration = { 60, 0/0 } },
}
