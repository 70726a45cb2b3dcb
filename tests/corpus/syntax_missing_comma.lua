-- expect: exit 2
-- message: '}' expected
-- line: 6
return {
  devices = {
    { count = 10 traffic = { kind = "none" } },
  },
}
