package example

// The vocabulary of the example: fictional authorities, the departments of
// 2000-01, requests for freedoms, the codebook and interview excerpts, all
// written for this generator. None of it is quoted from the real evaluation.

// authority is one fictional local authority.
type authority struct {
	name, kind, region string
}

// pilotAuthorities are the twenty authorities of the default example.
// "Kingsmere & Thames" and "St Aldwyn's" carry characters that must be
// escaped in HTML and attributes.
var pilotAuthorities = []authority{
	{"Kingsmere & Thames", "london_borough", "London"},
	{"Hallowfield", "metropolitan", "Yorkshire and the Humber"},
	{"Westermoor", "county", "South West"},
	{"Brackenby", "unitary", "East Midlands"},
	{"Carnford", "metropolitan", "North West"},
	{"Edgewater", "unitary", "South East"},
	{"Fenwold", "county", "East of England"},
	{"Greyhaven", "unitary", "North East"},
	{"Harrowdene", "london_borough", "London"},
	{"Ilsworth", "metropolitan", "West Midlands"},
	{"Larkhamshire", "county", "East Midlands"},
	{"Marbury Vale", "district", "South East"},
	{"Oakenbridge", "unitary", "West Midlands"},
	{"Pellingford", "county", "South East"},
	{"Redcastle", "metropolitan", "North East"},
	{"Saltmarsh Bay", "unitary", "South West"},
	{"Thornleigh", "metropolitan", "Yorkshire and the Humber"},
	{"Upperwick", "county", "North West"},
	{"St Aldwyn's", "district", "East of England"},
	{"Yarrowdale", "unitary", "North West"},
}

// Parts of invented place names for examples larger than the pilot.
var (
	namePrefixes = []string{
		"Ash", "Bram", "Cold", "Dun", "Elm", "Fox", "Glen", "Hazel", "Ivy", "Kings",
		"Lang", "Mill", "Nether", "Oak", "Pen", "Queens", "Rook", "Stan", "Thorn", "Under",
		"Wex", "Yew", "Bur", "Chal", "Dray", "Farn", "Grin", "Holm", "Kel", "Lynd",
	}
	nameSuffixes = []string{
		"borough", "bridge", "bury", "combe", "dale", "don", "field", "ford", "gate", "ham",
		"hurst", "leigh", "mere", "minster", "moor", "port", "stead", "stow", "thorpe", "ton",
		"wick", "worth", "wold", "well", "by",
	}
	nameQualifiers = []string{"", "North ", "South ", "East ", "West ", "Upper ", "Lower ", "Great ", "Little "}
	regions        = []string{
		"North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
		"East of England", "London", "South East", "South West",
	}
	authorityKinds = []weighted[string]{
		{"county", 30}, {"unitary", 25}, {"metropolitan", 20}, {"london_borough", 15}, {"district", 10},
	}
)

// Departments of 2000-01. The policy centre sat in DETR with the Treasury.
const (
	deptDfEE     = "DfEE"
	deptDoH      = "DoH"
	deptHome     = "Home Office"
	deptDETR     = "DETR"
	deptDSS      = "DSS"
	deptDCMS     = "DCMS"
	deptLCD      = "LCD"
	deptDTI      = "DTI"
	deptTreasury = "HM Treasury"
)

// departments take part in agreements with these weights.
var departments = []weighted[string]{
	{deptDfEE, 30}, {deptDoH, 25}, {deptHome, 22}, {deptDETR, 20}, {deptDSS, 10},
	{deptDCMS, 6}, {deptLCD, 4}, {deptDTI, 4}, {deptTreasury, 4},
}

// requests are what authorities asked each department for.
var requests = map[string][]string{
	deptDfEE: {
		"Pool the separate school improvement grants into one budget for pupils at risk of exclusion",
		"Relax the conditions on the Standards Fund so that it can pay for family learning",
		"Set the authority's own timetable for the education development plan",
		"Count adult learners in community venues towards the basic skills target",
		"Lift the cap on the number of pupils in the pupil referral unit",
	},
	deptDoH: {
		"Combine health and social care budgets for intermediate care of older people",
		"Replace three separate plans for children's services with one",
		"Move the money for residential care to home care packages without approval",
		"Share hospital discharge data with the council each week",
		"Use the Sure Start allocation across the whole borough, not only the target wards",
	},
	deptHome: {
		"Write one community safety plan instead of three separate strategies",
		"Spend the CCTV capital grant on neighbourhood wardens",
		"Receive police recorded crime figures by ward every month",
		"Keep the fines from a local fixed-penalty scheme for street litter",
		"Join the youth offending and drugs action team budgets",
	},
	deptDETR: {
		"Keep all the capital receipts from selling surplus land",
		"Delay the Best Value inspection of services covered by the agreement",
		"Use the local transport grant for rural bus services",
		"Drop the separate returns for the housing investment programme",
		"Charge for parking permits at a locally set rate",
	},
	deptDSS: {
		"Share benefit records with the council to raise take-up of housing benefit",
		"Verify housing benefit claims with fewer documents for pensioners",
		"Place a benefits adviser in the council's one-stop shops",
	},
	deptDCMS: {
		"Replace the annual library plan with the agreement's targets",
		"Pool the sports development and arts grants for young people",
	},
	deptLCD: {
		"Run a pilot of community sentences supervised with the council",
		"Share magistrates' court listings with the youth offending team",
	},
	deptDTI: {
		"Channel small business advice through the council's regeneration team",
		"Relax the match-funding rule on a regeneration grant",
	},
	deptTreasury: {
		"Carry forward unspent pump-priming grant into the next financial year",
		"Receive the performance reward grant as revenue rather than capital",
	},
}

// reasons a request was not granted, with weights that make precedent and
// existing powers the most common, as the evaluation found.
var refusalReasons = []weighted[string]{
	{"already_available", 22}, {"precedent", 20}, {"primary_legislation", 14}, {"funding", 12},
	{"timescale", 10}, {"unclear", 10}, {"policy", 8}, {"joined_up", 6},
}

// outcomes of requests: most were not granted; several were deferred to
// further discussion.
var outcomes = []weighted[string]{
	{"granted", 12}, {"partly_granted", 13}, {"not_granted", 60}, {"deferred", 15},
}

// eventNotes holds the short notes of events, by type.
var eventNotes = map[string][]string{
	"meeting": {
		"Negotiation meeting with the policy centre",
		"Meeting on the draft targets",
		"Meeting on freedoms and flexibilities",
		"Meeting with departments on the stretch of targets",
		"Progress meeting",
	},
	"bilateral": {
		"Specialist discussion of a target's baseline",
		"Telephone call with the departmental lead",
		"Officials compared performance data",
		"Bilateral on a freedom request",
	},
	"correspondence": {
		"Letter on the proposed targets",
		"Email asking for baseline figures",
		"Letter from the department on freedoms",
		"Reply to the policy centre's queries",
	},
	"draft": {
		"Draft agreement exchanged",
		"Revised draft with new targets",
		"Standard draft agreement sent",
	},
	"briefing": {
		"Ministerial briefing on progress",
		"Briefing for the minister on outstanding issues",
	},
	"other": {
		"Site visit by the policy centre",
		"Conference call with the LGA",
	},
}

// codeDef is one code of the codebook, with how often it is applied and what
// people said about it.
type codeDef struct {
	code, label, parent, description string
	weight                           float64        // relative frequency
	wave2                            float64        // multiplier in wave 2
	groups                           map[string]int // extra weight for some respondent groups
	valence                          []weighted[string]
	excerpts                         []string
}

var (
	vPos   = []weighted[string]{{"positive", 6}, {"mixed", 2}, {"neutral", 1}, {"negative", 1}}
	vNeg   = []weighted[string]{{"negative", 6}, {"mixed", 2}, {"neutral", 1}, {"positive", 1}}
	vMixed = []weighted[string]{{"mixed", 4}, {"positive", 3}, {"negative", 3}, {"neutral", 1}}
	vNeut  = []weighted[string]{{"neutral", 5}, {"mixed", 2}, {"positive", 1}, {"negative", 1}}
)

// codebook lists parents before their children.
var codebook = []codeDef{
	{code: "process", label: "Negotiation process", description: "How the negotiations were organised and run.",
		weight: 4, wave2: 1, valence: vMixed, excerpts: []string{
			"The process was new to everyone, so we were all learning the rules as we went.",
			"Nobody could tell us at the start how long the whole thing would take.",
		}},
	{code: "delay", label: "Delay", parent: "process", description: "Waiting for answers, slow decisions, negotiations taking longer than planned.",
		weight: 8, wave2: 0.9, groups: map[string]int{"local_authority": 3}, valence: vNeg, excerpts: []string{
			"We sent our targets in October and heard nothing back until after Christmas.",
			"Every answer had to go round three departments, and each added a fortnight.",
			"The delays cost us the goodwill of our partners, who had cleared their diaries.",
		}},
	{code: "quiet_spells", label: "Quiet spells and bursts", parent: "process", description: "Long silences from government followed by bursts of activity.",
		weight: 5, wave2: 1, groups: map[string]int{"local_authority": 2}, valence: vNeg, excerpts: []string{
			"Weeks of nothing, then three meetings in five days and a draft to turn round overnight.",
			"It was feast or famine: silence, then everyone wanting an answer by Friday.",
		}},
	{code: "workload", label: "Workload", parent: "process", description: "Staff time and pressure of the negotiations.",
		weight: 7, wave2: 1, groups: map[string]int{"policy_centre": 4, "department": 1}, valence: vNeg, excerpts: []string{
			"In December we were in meetings every day and writing up every night.",
			"Two of us were covering a dozen authorities; something had to give.",
		}},
	{code: "capacity", label: "Capacity of the policy centre", parent: "process", description: "How many negotiations the central team could handle at once.",
		weight: 4, wave2: 1.2, groups: map[string]int{"policy_centre": 5, "lga": 1}, valence: vNeg, excerpts: []string{
			"About six at a time was the most we could do properly, so we spread out the later starts.",
			"We took on too many at once and the quality of our attention suffered.",
		}},
	{code: "meetings", label: "Negotiation meetings", parent: "process", description: "Formal meetings between the authority, the policy centre and departments.",
		weight: 6, wave2: 0.5, valence: vMixed, excerpts: []string{
			"The big round-table meetings were useful at first for setting the tone.",
			"By the third meeting we were going over the same ground again.",
		}},
	{code: "informal_contact", label: "Informal specialist contact", parent: "process", description: "Direct contact between specialists in the authority and in departments.",
		weight: 4, wave2: 2.2, groups: map[string]int{"department": 2, "local_authority": 1}, valence: vPos, excerpts: []string{
			"Once our education officer rang their analyst directly, the baseline was agreed in a day.",
			"The phone calls between specialists did more than any of the formal meetings.",
		}},
	{code: "standard_draft", label: "Standard draft agreement", parent: "process", description: "The model agreement used as the starting point of each negotiation.",
		weight: 3, wave2: 2.5, groups: map[string]int{"policy_centre": 2}, valence: vPos, excerpts: []string{
			"Having a standard draft meant we argued about the targets, not the wording.",
			"The later authorities had it easier because the template already existed.",
		}},
	{code: "timetable", label: "Timetable", parent: "process", description: "Deadlines, the pace of the negotiations and the budget cycle.",
		weight: 4, wave2: 1, valence: vNeg, excerpts: []string{
			"Signing had to fit the budget round, which left no time for the harder freedoms.",
			"The timetable slipped, but the deadline for our budget did not.",
		}},
	{code: "ministerial_involvement", label: "Ministerial involvement", parent: "process", description: "The part played by ministers and their offices.",
		weight: 2, wave2: 1, groups: map[string]int{"department": 1, "policy_centre": 1}, valence: vMixed, excerpts: []string{
			"A word from the minister unblocked in a week what officials had sat on for months.",
			"Briefing ministers took time we did not really have.",
		}},
	{code: "freedoms", label: "Freedoms and flexibilities", description: "Requests by authorities for relaxations of rules, reporting or funding conditions.",
		weight: 5, wave2: 1, groups: map[string]int{"local_authority": 2, "department": 1}, valence: vMixed, excerpts: []string{
			"The freedoms were what got our members interested in the first place.",
			"We asked for fourteen freedoms and came away with two.",
		}},
	{code: "clarity_of_requests", label: "Clarity of requests", parent: "freedoms", description: "Whether requests were specific enough for a department to decide on.",
		weight: 5, wave2: 1, groups: map[string]int{"department": 4}, valence: vNeg, excerpts: []string{
			"Half the requests did not say which rule was the problem, so we could not answer them.",
			"We were asked to 'remove barriers' without being told what the barriers were.",
		}},
	{code: "precedent", label: "Precedent", parent: "freedoms", description: "Reluctance to grant what other authorities would then ask for.",
		weight: 5, wave2: 1, groups: map[string]int{"department": 3, "local_authority": 1}, valence: vNeg, excerpts: []string{
			"If we say yes to one council, we have said yes to all of them.",
			"The answer was always that it would set a precedent, even when nobody else wanted it.",
		}},
	{code: "legislation", label: "Primary legislation", parent: "freedoms", description: "Requests that needed an Act of Parliament.",
		weight: 3, wave2: 1, groups: map[string]int{"department": 2}, valence: vNeut, excerpts: []string{
			"Some of it needed a bill, and there was no slot for one this session.",
			"We only learnt late on that the change needed primary legislation.",
		}},
	{code: "already_available", label: "Already available", parent: "freedoms", description: "Requests for powers the authority already had.",
		weight: 3, wave2: 1, groups: map[string]int{"department": 2}, valence: vNeut, excerpts: []string{
			"In several cases the council already had the power and had not realised it.",
			"Being told we could already do it was useful, if a little embarrassing.",
		}},
	{code: "funding_implications", label: "Funding implications", parent: "freedoms", description: "Requests that would affect the funding of other schemes.",
		weight: 3, wave2: 1, groups: map[string]int{"department": 1}, valence: vNeg, excerpts: []string{
			"Any freedom that touched a grant formula was sent to the Treasury and never came back.",
			"Moving the money between budgets would have left a hole in someone else's scheme.",
		}},
	{code: "joined_up", label: "Joined-up government", parent: "freedoms", description: "Requests that needed several departments to act together.",
		weight: 3, wave2: 1, groups: map[string]int{"local_authority": 1, "government_office": 2}, valence: vNeg, excerpts: []string{
			"Each department liked the idea and waited for the other one to move first.",
			"Nobody owned the requests that crossed departmental lines.",
		}},
	{code: "further_discussion", label: "Further discussion", parent: "freedoms", description: "Requests deferred to discussion after the agreement was signed.",
		weight: 3, wave2: 1.8, groups: map[string]int{"local_authority": 1}, valence: vMixed, excerpts: []string{
			"'Further discussion' in the agreement meant no, but politely.",
			"The promise of further talks kept the door open and we intend to use it.",
		}},
	{code: "disappointment", label: "Disappointment with freedoms", parent: "freedoms", description: "Views that the freedoms obtained fell short of what was hoped.",
		weight: 5, wave2: 1.4, groups: map[string]int{"local_authority": 4, "lga": 2}, valence: vNeg, excerpts: []string{
			"We were promised a bonfire of controls and got a box of matches.",
			"Members felt the freedoms on offer were not worth the effort of asking.",
		}},
	{code: "targets", label: "Targets", description: "The stretching targets the authorities committed to.",
		weight: 7, wave2: 1, valence: vMixed, excerpts: []string{
			"The targets made us look hard at what we were actually achieving.",
			"Targets are a means, and sometimes they felt like the end in themselves.",
		}},
	{code: "stretch", label: "Stretch", parent: "targets", description: "How far the targets went beyond expected performance.",
		weight: 4, wave2: 1, groups: map[string]int{"department": 2, "policy_centre": 2}, valence: vMixed, excerpts: []string{
			"We argued for weeks about whether two per cent extra counted as a stretch.",
			"The department wanted more stretch than our data could support.",
		}},
	{code: "incentive", label: "Targets as an incentive", parent: "targets", description: "Targets and reward seen as a spur to better performance.",
		weight: 4, wave2: 1, groups: map[string]int{"local_authority": 2}, valence: vPos, excerpts: []string{
			"The reward grant focused minds in a way that ordinary plans never did.",
			"For the first time the chief executive asked about these figures every month.",
		}},
	{code: "burden", label: "Targets as a burden", parent: "targets", description: "Targets seen as extra work with little gain.",
		weight: 4, wave2: 1, groups: map[string]int{"local_authority": 1, "department": 2}, valence: vNeg, excerpts: []string{
			"It was one more set of targets on top of the ones we already report on.",
			"From our side there was nothing in it for the department except more monitoring.",
		}},
	{code: "measurement", label: "Measuring performance", parent: "targets", description: "Baselines, indicators and the data to monitor targets.",
		weight: 3, wave2: 1, groups: map[string]int{"department": 1}, valence: vNeut, excerpts: []string{
			"Nobody had a reliable baseline for half the indicators we chose.",
			"We had to set up new data collection just to know whether we had hit the target.",
		}},
	{code: "pump_priming", label: "Pump-priming grant", parent: "targets", description: "The grant paid up front to help authorities meet their targets.",
		weight: 2, wave2: 1, groups: map[string]int{"local_authority": 2}, valence: vPos, excerpts: []string{
			"The pump-priming money paid for the extra staff we needed in the first year.",
			"The up-front grant was small, but it was flexible and that mattered.",
		}},
	{code: "reward_grant", label: "Performance reward grant", parent: "targets", description: "The grant paid if targets are met.",
		weight: 3, wave2: 1, groups: map[string]int{"local_authority": 2, "lga": 1}, valence: vMixed, excerpts: []string{
			"The reward is three years away, which is a long time in local politics.",
			"A reward of that size got the attention of the whole council.",
		}},
	{code: "relationships", label: "Relationships", description: "Relations between central and local government during the negotiations.",
		weight: 7, wave2: 1, valence: vMixed, excerpts: []string{
			"It felt like a negotiation between equals for the first time.",
			"By the end we trusted the policy centre, though not every department.",
		}},
	{code: "trust", label: "Trust", parent: "relationships", description: "Confidence that the other side would keep its word.",
		weight: 3, wave2: 1, valence: vMixed, excerpts: []string{
			"They did what they said they would do, which is not always our experience.",
			"We were never sure whether what was agreed in the room would survive the minister.",
		}},
	{code: "departmental_engagement", label: "Departmental engagement", parent: "relationships", description: "How far departments took part and why.",
		weight: 5, wave2: 1, groups: map[string]int{"policy_centre": 2, "department": 2}, valence: vNeg, excerpts: []string{
			"Some departments sent someone senior; others sent whoever was free that day.",
			"For a department the agreement was a side show to its own programmes.",
		}},
	{code: "lga_role", label: "Role of the LGA", parent: "relationships", description: "The Local Government Association's mediation for authorities.",
		weight: 2, wave2: 1, groups: map[string]int{"lga": 6, "local_authority": 1}, valence: vPos, excerpts: []string{
			"The LGA could say things to departments that a single council could not.",
			"Having the LGA in the room kept the process honest.",
		}},
	{code: "government_office_role", label: "Role of the Government Offices", parent: "relationships", description: "The regional Government Offices' help in the negotiations.",
		weight: 2, wave2: 1, groups: map[string]int{"government_office": 6}, valence: vMixed, excerpts: []string{
			"We knew the authority well and could translate between the two sides.",
			"The Government Office was consulted in some regions and ignored in others.",
		}},
	{code: "partners", label: "Local partners", parent: "relationships", description: "Police, health and voluntary bodies whose work the targets relied on.",
		weight: 4, wave2: 1.3, groups: map[string]int{"partner": 6, "local_authority": 1}, valence: vMixed, excerpts: []string{
			"We were asked to deliver a target on our wards without being asked to the table.",
			"Bringing the health authority in early would have saved months.",
		}},
	{code: "lessons", label: "Lessons for the roll-out", description: "What should change when the scheme is extended to all authorities.",
		weight: 4, wave2: 2, valence: vNeut, excerpts: []string{
			"The roll-out will need a different way of working or it will grind to a halt.",
			"Start with fewer targets and get them right.",
		}},
	{code: "guidance", label: "Guidance", parent: "lessons", description: "The need for clearer guidance on the process and on requests.",
		weight: 4, wave2: 1.8, groups: map[string]int{"local_authority": 1, "government_office": 1}, valence: vNeg, excerpts: []string{
			"Clear guidance on what a good freedom request looks like would have saved everyone time.",
			"We made it up as we went along because nothing was written down.",
		}},
	{code: "planning", label: "Planning of the administration", parent: "lessons", description: "Planning staff, timetables and the order of negotiations.",
		weight: 3, wave2: 2, groups: map[string]int{"policy_centre": 2}, valence: vNeut, excerpts: []string{
			"Staggering the starts from January made the workload manageable.",
			"The roll-out needs a proper plan for who negotiates with whom and when.",
		}},
	{code: "equity", label: "Equity", parent: "lessons", description: "Whether authorities were treated fairly and consistently.",
		weight: 3, wave2: 1.6, groups: map[string]int{"lga": 3, "local_authority": 1}, valence: vNeg, excerpts: []string{
			"Some authorities got freedoms that were refused to us, and nobody could say why.",
			"Fairness between councils matters more once everyone is in the scheme.",
		}},
	{code: "roll_out", label: "Roll-out", parent: "lessons", description: "Views on extending the agreements to all upper-tier authorities.",
		weight: 2, wave2: 2.5, valence: vMixed, excerpts: []string{
			"If the pilot is anything to go by, 150 negotiations at once is not possible.",
			"We would sign again, but with our eyes open this time.",
		}},
}

// groupShares is how interviews are spread over respondent groups.
var groupShares = []weighted[string]{
	{"local_authority", 40}, {"department", 20}, {"policy_centre", 9}, {"lga", 7},
	{"government_office", 9}, {"partner", 11}, {"other", 4},
}

// otherOrganisations are the respondents of the "other" group.
var otherOrganisations = []string{"District Audit", "Inspectorate liaison", "Evaluation steering group"}

// partnerBodies are local partners, named after their authority.
var partnerBodies = []string{"Police", "Health Authority", "Council for Voluntary Service", "Learning Partnership"}
