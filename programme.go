package certibloc

// Programme is a school's programme sheet (fiche programme) for a
// certification: what the school publishes to prospective candidates. The
// certification's own referential (blocks, competencies, evaluations,
// prerequisites) is not copied here: the page reads it from the
// certification version the programme names.
type Programme struct {
	Slug              string          `json:"slug"` // URL name: /programmes/{slug}
	School            ProgrammeSchool `json:"school"`
	CertificationCode string          `json:"certification_code"`
	Version           int             `json:"certification_version"` // 0: the current version
	Title             string          `json:"title"`
	UpdatedOn         Date            `json:"updated_on"` // "Mis à jour le"
	Summary           string          `json:"summary"`    // the opening statement of the sheet
	RegistrationNote  string          `json:"registration_note,omitempty"`
	// Objectives is the "Objectifs et contexte" text, one paragraph each.
	Objectives []string `json:"objectives"`
	// Content is the course content grouped as the sheet groups it
	// (common blocks, options), each topic a line.
	Content    []ContentGroup `json:"content"`
	Duration   Duration       `json:"duration"`
	Admission  Admission      `json:"admission"`
	Methods    []Section      `json:"methods"`  // pedagogical methods, materials
	Price      string         `json:"price"`    // "Sur demande ou sur devis."
	Contacts   []Contact      `json:"contacts"` // secretariat, director
	Social     []Link         `json:"social"`   // LinkedIn, Facebook…
	Links      []Link         `json:"links"`    // France Compétences fiche, certifier page
	Access     Accessibility  `json:"accessibility"`
	Outcomes   []Section      `json:"outcomes"`   // sectors, jobs
	Legal      string         `json:"legal"`      // legal references of the activity
	Validation []Section      `json:"validation"` // how the title is acquired (training, VAE, mixed)
}

// ProgrammeSchool is the school shown on a programme sheet: a training
// organisation, partner of a certifier.
type ProgrammeSchool struct {
	Code     string `json:"code"` // DIIAGE
	Name     string `json:"name"` // Département d'ingénierie informatique appliquée à la gestion
	Acronym  string `json:"acronym,omitempty"`
	Website  string `json:"website,omitempty"`
	Locality string `json:"locality,omitempty"`
}

// ContentGroup is a heading of the programme content and its modules.
type ContentGroup struct {
	Title   string   `json:"title"` // Blocs communs, 3 options
	Modules []Module `json:"modules"`
}

// Module is one teaching unit of the content, tied to the block it prepares.
type Module struct {
	Title  string   `json:"title"`
	Block  string   `json:"block,omitempty"`
	Topics []string `json:"topics"`
}

// Duration is how long the programme lasts on each track.
type Duration struct {
	Summary     string `json:"summary"`      // 1 année de formation : L3 initial ou alternance
	WeeklyHours int    `json:"weekly_hours"` // 35
	// Year is the year of study the tracks describe: "1ère année (bac+3)".
	Year   string   `json:"year,omitempty"`
	Tracks []Option `json:"tracks"`
}

// Option is one way of following the programme: initial training with an
// internship, apprenticeship…
type Option struct {
	Code           string `json:"code"` // initial, apprenticeship
	Title          string `json:"title"`
	Hours          int    `json:"hours"`                       // 600
	InternshipMons int    `json:"internship_months,omitempty"` // 6
	Description    string `json:"description"`
}

// Admission is how candidates apply and are selected.
type Admission struct {
	Deadline string   `json:"deadline"` // "01/07" each year, as DD/MM
	Steps    []string `json:"steps"`
	Text     string   `json:"text"`
}

// Section is a titled piece of text with optional list items.
type Section struct {
	Title string   `json:"title"`
	Text  string   `json:"text,omitempty"`
	Items []string `json:"items,omitempty"`
	// Block ties the section to one block of the certification (the jobs
	// an optional block opens, say), so the page shows it with that block.
	Block string `json:"block,omitempty"`
}

// Contact is a person or office to write to.
type Contact struct {
	Role  string `json:"role"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Link is a labelled address.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Accessibility is the sheet's statement on disabled people and the name of
// the disability referent.
type Accessibility struct {
	Statement string  `json:"statement"`
	Referent  Contact `json:"referent"`
}
