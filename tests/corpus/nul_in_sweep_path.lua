-- expect: exit 2
-- message: sweep
-- known-failing: lua/embedded NULs (a swept path is cut at the NUL: "duration\0junk" sweeps duration)
return {
  devices = { { count = 1 } },
  sweep = { ["duration\0junk"] = { 60, 120 } },
}
