-- expect: exit 2
-- message: -o
-- args: run --quiet -o ""
-- noline: a command-line error
-- known-failing: files/-o overwrite (an empty -o name is not refused as such)
return {
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
