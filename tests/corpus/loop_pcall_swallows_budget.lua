-- expect: exit 2
-- message: endless loop
-- known-failing: lua/instruction budget (pcall catches the budget error and the script goes on)
local function settle()
  while true do end
end
local ok = pcall(settle)
return { devices = { { count = 10 } } }
