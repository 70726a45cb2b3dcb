-- expect: exit 2
-- message: cell.rat
return {
  cell = { rat = "nbiot\0x" },
  devices = { { count = 10 } },
}
