-- expect: exit 2
-- message: invalid escape sequence
-- A Windows path pasted into a name.
return {
  name = "C:\data\meters",
  devices = { { count = 10 } },
}
