export {
  ACCESS_REVIEW_OUTCOME_LABELS,
  RecordAccessReviewDialog,
} from './RecordAccessReviewDialog';
