-- expect: exit 2
-- message: cell.rat
-- message: (got "ltem\000x")
return {
  devices = { { count = 1 } },
  sweep = { ["cell.rat"] = { "nbiot", "ltem\0x" } },
}
