-- expect: exit 2
-- message: devices[1].count
-- args: check --set devices[1].count=5
-- noline: a --set argument error names the argument
return {
  devices = { { count = 10 } },
  sweep = { ["devices[1].count"] = { 10, 20 } },
}
