-- expect: exit 2
-- message: group needs a count
-- line: 9
local function group(t)
  if not t.count then error("group needs a count", 2) end
  return t
end
return {
  devices = { group { name = "meters" } },
}
