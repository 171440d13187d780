# The reference product's quick example ("Text"), as its documentation gives it, with only the import and the
# client class changed. Against your own Jury server:
#
#   npm start                                   # terminal 1: the server (saves ~/.config/jury/credentials.json)
#   npm run jury -- simulate --until-idle       # terminal 2: simulated labelers (or open http://localhost:8787/label)
#   PYTHONPATH=python python3 python/examples/quickstart.py
from jury import JuryClient, LanguageFilter

client = JuryClient()
audience = client.audience.get_audience_by_id("global")
job_definition = client.job.create_compare_job_definition(
    name="Example Text Comparison",
    instruction="Which sentence is grammatically more correct?",
    datapoints=[["The children were amazed by the magician's tricks", "The children were amusing by the magician's tricks."]],
    data_type="text",
)
job = audience.assign_job(job_definition)
job.view()
job.display_progress_bar()
results = job.get_results()
print(results)
