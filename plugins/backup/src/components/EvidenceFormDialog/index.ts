export { EvidenceFormDialog, useEvidenceForm } from './EvidenceFormDialog';
export {
  formProblems,
  isEmptyOrHttpLink,
  optional,
  toIso,
} from './evidenceForm';
