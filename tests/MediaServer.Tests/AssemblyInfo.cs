// Each class starts real server processes; on a 2-core machine they are kinder to each other in sequence.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
