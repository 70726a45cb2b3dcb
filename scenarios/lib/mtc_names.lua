-- mtc_names.lua: makes a table of named things (module profiles, stacks,
-- helpers) refuse names it does not have, so that a misspelling such as
-- mtc.modules.bg69 is an error at the script's line instead of nil, which
-- the scenario would silently read as "use the default".
--
-- Only reading a missing string key raises; adding entries, pairs() and
-- list items (integer keys) work as on any table.

local function distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

-- Sets the metatable of t so that t[name] for an unknown name raises
-- "<what>.<name>: no such <kind> (did you mean ...? known: ...)" at the
-- line of the script that read it. Returns t.
return function(t, what, kind)
  return setmetatable(t, {
    __index = function(tbl, name)
      if type(name) ~= "string" then return nil end
      local names, best, bestd = {}, nil, math.huge
      for k in pairs(tbl) do
        if type(k) == "string" then
          names[#names + 1] = k
          local d = #name <= 64 and distance(name, k) or math.huge
          if d < bestd or (d == bestd and k < best) then best, bestd = k, d end
        end
      end
      table.sort(names)
      local hint = ""
      if best and bestd <= math.max(2, #name // 3) then
        hint = string.format("did you mean \"%s\"? ", best)
      end
      local shown = #name <= 60 and name or name:sub(1, 60) .. "..."
      error(string.format("%s.%s: no such %s (%sknown: %s)", what, shown, kind, hint,
                          table.concat(names, ", ")), 2)
    end,
  })
end
