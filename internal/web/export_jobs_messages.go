package web

// The interface strings of the export, import and e-mail jobs.
func init() {
	addMessages(map[string]string{
		"expjob_title_f":     "Exporter les candidatures – %s",
		"expjob_description": "Un export trop grand pour être fait d'un coup est préparé en tâche de fond, puis proposé au téléchargement.",
		"expjob_back":        "Retour à la campagne",
		"expjob_explain_f":   "Cet export compte %d candidatures : il est préparé en tâche de fond. Sa page montre sa progression et propose le fichier quand il est prêt ; vous pouvez la quitter et y revenir depuis les tâches de fond.",
		"expjob_start":       "Préparer l'export",
		"expjob_e_format":    "Choisissez le format de l'export : CSV ou XLSX.",
		"jobs_e_nofile":      "Cette tâche n'a pas de fichier à télécharger.",
		"jobs_e_forbidden":   "Le fichier de cette tâche concerne une école dont vous ne gérez pas les admissions.",
		"job_mail_f":         "Envoi n° %d du message n° %d",
		"job_export_f":       "Export n° %d des candidatures de la campagne n° %d (%s)",
		"job_import_f":       "Import n° %d d'une feuille de notes de l'évaluation n° %d",
		"job_rows_f":         "%d %% (%d lignes sur %d)",
		"job_rows_js":        "%p % (%d lignes sur %t)",
		"job_file_download":  "Télécharger le fichier",
	}, map[string]string{
		"expjob_title_f":     "Export the applications – %s",
		"expjob_description": "An export too large to make at once is prepared in the background, then offered for download.",
		"expjob_back":        "Back to the campaign",
		"expjob_explain_f":   "This export holds %d applications: it is prepared in the background. Its page shows its progress and offers the file when it is ready; you may leave it and come back from the background jobs.",
		"expjob_start":       "Prepare the export",
		"expjob_e_format":    "Choose the export's format: CSV or XLSX.",
		"jobs_e_nofile":      "This job has no file to download.",
		"jobs_e_forbidden":   "This job's file is about a school whose admissions you do not manage.",
		"job_mail_f":         "Delivery %d of message %d",
		"job_export_f":       "Export %d of the applications of campaign %d (%s)",
		"job_import_f":       "Import %d of a grade sheet of evaluation %d",
		"job_rows_f":         "%d %% (%d rows of %d)",
		"job_rows_js":        "%p % (%d rows of %t)",
		"job_file_download":  "Download the file",
	})
}
