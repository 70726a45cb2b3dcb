-- expect: exit 2
-- message: cell.rat
-- known-failing: lua/embedded NULs (the enum compares up to the NUL: "nbiot\0x" is taken as nbiot)
return {
  cell = { rat = "nbiot\0x" },
  devices = { { count = 10 } },
}
