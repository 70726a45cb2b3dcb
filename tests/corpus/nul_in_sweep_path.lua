-- expect: exit 2
-- message: sweep
return {
  devices = { { count = 1 } },
  sweep = { ["duration\0junk"] = { 60, 120 } },
}
