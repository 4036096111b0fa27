-- wrk: quiz start, attempt page and submission, in a loop, as learners
-- do (make bench, c; scripts/bench/quiz.sh). One connection a thread
-- (wrk -tN -cN), so that a thread's state is its connection's; each
-- thread takes every Nth line of LEARNERS (cookie TAB csrf) and turns
-- through them, one start+submit each.
--
-- A true/false quiz: every field whose value is "true" is ticked (the
-- field names are tokens of the attempt's key: src/quiz-form.c).

local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
local made = 0
local threads = {}

function setup(thread)
	thread:set("tid", made)
	made = made + 1
	table.insert(threads, thread)
end

function init(args)
	learners = {}
	local i = 0
	for line in io.lines(os.getenv("LEARNERS")) do
		if i % nthreads == tid then
			local cookie, csrf = line:match("^([^\t]*)\t(.*)$")
			table.insert(learners, { cookie = cookie, csrf = csrf })
		end
		i = i + 1
	end
	cur = 1
	step = "start"
	attempt = nil
	answers = nil
	cycles = 0
	errors = 0
	course = os.getenv("COURSE") or "bench-corso"
	module = os.getenv("MODULE") or "bench-quiz"
end

local function nexthop()
	step = "start"
	cur = cur % #learners + 1
end

function request()
	local l = learners[cur]
	local form = { ["Cookie"] = l.cookie,
	    ["Content-Type"] = "application/x-www-form-urlencoded" }
	if step == "start" then
		return wrk.format("POST", "/quiz/start", form, "csrf=" ..
		    l.csrf .. "&course=" .. course .. "&module=" .. module)
	elseif step == "page" then
		return wrk.format("GET", attempt, { ["Cookie"] = l.cookie })
	end
	return wrk.format("POST", attempt, form, answers)
end

function response(status, headers, body)
	local l = learners[cur]
	if step == "start" then
		attempt = headers["location"] or headers["Location"]
		if status == 303 and attempt and attempt:match("^/attempt/") then
			step = "page"
		else
			errors = errors + 1
			nexthop()
		end
	elseif step == "page" then
		local parts = { "csrf=" .. l.csrf }
		for name in body:gmatch('<input name="([^"]+)" type="radio" id="[^"]*" value="true"') do
			table.insert(parts, name .. "=true")
		end
		if status == 200 and #parts > 1 then
			answers = table.concat(parts, "&")
			step = "submit"
		else
			errors = errors + 1
			nexthop()
		end
	else
		if status == 303 or status == 200 then
			cycles = cycles + 1
		else
			errors = errors + 1
		end
		nexthop()
	end
end

function done(summary, latency, requests)
	local c, e = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("cycles")
		e = e + t:get("errors")
	end
	io.write(string.format("cycles %d\nerrors %d\n", c, e))
end
