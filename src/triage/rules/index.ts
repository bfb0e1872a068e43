import type { Rule } from '../model.js';
import { adminActivity } from './admin-activity.js';
import { apiOrigin } from './api-origin.js';
import { componentImpersonation } from './component-impersonation.js';
import { registryLookalike } from './registry-lookalike.js';
import { imageLookalike } from './image-lookalike.js';
import { deletedPod } from './deleted-pod.js';
import { goneComponent } from './gone-component.js';
import { nodeBootstrap } from './node-bootstrap.js';
import { nodeOs } from './node-os.js';
import { developerRetry } from './developer-retry.js';
import { kubeadmMaintenance } from './kubeadm-maintenance.js';
import { attackIndicators } from './attack-indicators.js';
import { ciBuild } from './ci-build.js';
import { podSpecIndicators } from './pod-spec-indicators.js';
import { meshDataplane } from './mesh-dataplane.js';
import { nodeNetworking } from './node-networking.js';
import { pingPong } from './ping-pong.js';
import { plantedPod } from './planted-pod.js';
import { platformLogRouter } from './platform-log-router.js';
import { gpuRuntimeInjection } from './gpu-runtime-injection.js';
import { kubeletOwnPods } from './kubelet-own-pods.js';
import { kubeletVolumeMountRule } from './kubelet-volume-mount.js';
import { policyTrust } from './policy-trust.js';
import { privilegedRoot } from './privileged-root.js';
import { runtimeQuery } from './runtime-query.js';
import { databaseHooks } from './database-hooks.js';
import { databaseBackupUpload } from './database-backup-upload.js';
import { gitopsRender } from './gitops-render.js';
import { notebookSession } from './notebook-session.js';
import { rayJobEntrypoint } from './ray-job-entrypoint.js';
import { nestedEntrypoint } from './nested-entrypoint.js';
import { pipelineStepServices } from './pipeline-step-services.js';
import { storageAgent } from './storage-agent.js';
import { workloadBaseline } from './workload-baseline.js';
import { chaosExperiment } from './chaos-experiment.js';
import { inClusterTls } from './in-cluster-tls.js';
import { litmusExperiment } from './litmus-experiment.js';
import { workloadIdentity } from './workload-identity.js';
import { clusterController } from './cluster-controller.js';
import { telemetryIntake } from './telemetry-intake.js';
import { declaredBackingService } from './declared-backing-service.js';
import { hostComponent } from './host-component.js';

/** Every rule, in evaluation order. */
export const RULES: Rule[] = [
  attackIndicators,
  podSpecIndicators,
  plantedPod,
  componentImpersonation,
  registryLookalike,
  imageLookalike,
  apiOrigin,
  nodeNetworking,
  storageAgent,
  meshDataplane,
  privilegedRoot,
  workloadBaseline,
  chaosExperiment,
  inClusterTls,
  litmusExperiment,
  workloadIdentity,
  clusterController,
  telemetryIntake,
  declaredBackingService,
  platformLogRouter,
  gpuRuntimeInjection,
  kubeletOwnPods,
  kubeletVolumeMountRule,
  hostComponent,
  ciBuild,
  runtimeQuery,
  databaseHooks,
  databaseBackupUpload,
  gitopsRender,
  notebookSession,
  rayJobEntrypoint,
  nestedEntrypoint,
  pipelineStepServices,
  deletedPod,
  goneComponent,
  nodeBootstrap,
  nodeOs,
  pingPong,
  adminActivity,
  kubeadmMaintenance,
  developerRetry,
  policyTrust,
];
