# Raw zone -> curated zone, run by the Glue job "Curate".
# Reads only the raw files added since the last successful run (job bookmarks), drops duplicate
# records, and appends them to the curated table as Snappy Parquet partitioned by the delivery date
# Firehose put in the raw key (events/dt=YYYY-MM-DD/...). The table is created or updated in the
# curated database on the way, so new fields show up in Athena without a crawler.
import sys

from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import functions as F

args = getResolvedOptions(sys.argv, ["JOB_NAME", "RAW_PATH", "CURATED_PATH", "DATABASE", "TABLE"])
glue = GlueContext(SparkContext.getOrCreate())
job = Job(glue)
job.init(args["JOB_NAME"], args)

raw = glue.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [args["RAW_PATH"]], "recurse": True},
    format="json",
    transformation_ctx="raw",
)
records = raw.toDF()
if records.count() > 0:
    # the file name is only known before a shuffle, so the partition column comes first
    records = records.withColumn("dt", F.regexp_extract(F.input_file_name(), r"dt=(\d{4}-\d{2}-\d{2})", 1))
    # Firehose delivers at least once: keep one copy of each record (by id when the records have one).
    keys = [c for c in ("event_id", "id") if c in records.columns]
    records = records.dropDuplicates(keys[:1]) if keys else records.dropDuplicates()

    sink = glue.getSink(
        connection_type="s3",
        path=args["CURATED_PATH"],
        enableUpdateCatalog=True,
        updateBehavior="UPDATE_IN_DATABASE",
        partitionKeys=["dt"],
        transformation_ctx="curated",
    )
    sink.setFormat("glueparquet", compression="snappy")
    sink.setCatalogInfo(catalogDatabase=args["DATABASE"], catalogTableName=args["TABLE"])
    sink.writeFrame(DynamicFrame.fromDF(records, glue, "curated"))

job.commit()
