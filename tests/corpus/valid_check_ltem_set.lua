-- expect: exit 0
-- args: check --set cell.rat=ltem --set devices[2].count=3
return { devices = { { count = 1 } } }
