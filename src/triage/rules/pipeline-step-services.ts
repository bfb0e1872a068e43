/**
 * pipeline-step-services: a pipeline step pod talking to its platform's own services — a Kubeflow Pipelines v2 step
 * (marked by its kfp-launcher init container) writing artifacts to the Kubeflow MinIO or recording its execution in
 * ML Metadata. Network sensors flag the MinIO traffic for the default credentials Kubeflow ships. Only from a step
 * pod of that platform, only to a pod running that service's image on its port (the sensor saw the pod address:
 * a Service address is not resolved here), and only when the sensor names no process (a named program is for the
 * other rules).
 */
import type { ContainerSpec, Pod } from '../../cluster/model.js';
import { imageRepository, isRepoOrPathSuffix } from '../../knowledge/components.js';
import { PIPELINE_PLATFORMS, type PipelinePlatform } from '../../knowledge/interactive-compute.js';
import type { Rule } from '../model.js';
import { allContainerSpecs, benign, describePod } from './support.js';

function runsImage(specs: readonly ContainerSpec[], images: readonly string[]): boolean {
  return specs.some((c) => {
    const repo = imageRepository(c.image);
    return !!repo && images.some((suffix) => isRepoOrPathSuffix(repo, suffix));
  });
}

function platformOfStep(pod: Pod): PipelinePlatform | undefined {
  if (!pod.metadata.ownerReferences?.length) return undefined;
  const specs = allContainerSpecs(pod);
  return PIPELINE_PLATFORMS.find((p) => runsImage(specs, p.stepImages));
}

export const pipelineStepServices: Rule = {
  id: 'pipeline-step-services',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A pipeline step pod (Kubeflow Pipelines v2) talking to its platform's artifact store, metadata store or API server",
  evaluate(ctx) {
    const { alert, index, correlation } = ctx;
    const n = alert.network;
    const src = correlation.subject.pod;
    const dst = correlation.peer?.pod;
    if (!n || n.dstPort === undefined || !src || !dst) return [];
    const p = alert.process;
    if (p.name || p.path || p.commandLine) return [];
    const platform = platformOfStep(src);
    if (!platform) return [];
    const dstSpecs = allContainerSpecs(dst);
    const service = platform.services.find((s) => s.ports.includes(n.dstPort!) && runsImage(dstSpecs, s.images));
    if (!service) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${describePod(index, src)} is a ${platform.name} step (its init container stages the platform's launcher), and ${describePod(index, dst)} is the platform's ${service.what} on port ${n.dstPort}: a step storing or reading its run's data.`,
        { pod: src.metadata.name },
      ),
    ];
  },
};
