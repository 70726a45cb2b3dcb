-- expect: exit 2
-- message: devices[1].count: expected an integer, got string
-- line: 6
return {
  devices = {
    { count = "10" },
  },
}
