-- expect: exit 2
-- message: cell.rat
-- known-failing: lua/embedded NULs (a swept string value with a NUL reaches the enum cut at the NUL)
return {
  devices = { { count = 1 } },
  sweep = { ["cell.rat"] = { "nbiot", "ltem\0x" } },
}
