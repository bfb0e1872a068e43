import * as k8s from '@kubernetes/client-node';
const t0=performance.now();
const s = k8s.ObjectSerializer;
const seen=new Set(); const diffs=[];
function walk(type){ type=type.replace(/^Array<(.*)>$/,'$1').replace(/^\{ \[key: string\]: (.*); \}$/,'$1'); if(seen.has(type))return; seen.add(type);
 const cls=k8s[type]; if(!cls||!cls.getAttributeTypeMap) return;
 for(const a of cls.getAttributeTypeMap()){ if(a.name!==a.baseName) diffs.push(type+'.'+a.name+'->'+a.baseName); walk(a.type);} }
for (const t of ['V1Pod','V1Node','V1DaemonSet','V1Deployment','V1ReplicaSet','V1StatefulSet','V1Job','V1CronJob','V1Service','CoreV1Event','V1Namespace']) walk(t);
console.log(diffs, seen.size);
