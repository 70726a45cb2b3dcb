return { count = 1 }
