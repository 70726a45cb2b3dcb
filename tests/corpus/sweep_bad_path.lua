-- expect: exit 2
-- message: devices[1].cuont
-- known-failing: lua/messages (a sweep path error is blamed on a --set the user never typed, without the sweep's line)
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].cuont"] = { 10, 20 } },
}
