# The reference product's Quick Start guide ("Complete Example") against your own Jury server: the global audience
# instead of a curated one, and two local images (uploaded) instead of the reference's hosted URLs.
#
#   PYTHONPATH=python python3 python/examples/quickstart_images.py
from pathlib import Path

from jury import JuryClient

images = Path(__file__).resolve().parent.parent.parent / "examples" / "images"

client = JuryClient()

audience = client.audience.get_audience_by_id("global")

job_definition = client.job.create_compare_job_definition(
    name="Example Image Prompt Alignment",
    instruction="Which image matches the description better?",
    datapoints=[
        [str(images / "book-a.png"), str(images / "book-b.png")]
    ],
    contexts=["A small blue book sitting on a large red book."]
)

job_definition.preview()

job = audience.assign_job(job_definition)
job.display_progress_bar()
results = job.get_results()
print(results)
