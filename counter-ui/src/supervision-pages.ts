/** The supervision pages as one chunk (supervision-lazy.tsx loads it on first visit). */
export { SupervisePage } from './supervise-page';
export { RatingsPage } from './ratings-page';
export { CasesBoard } from './cases-board';
export { MyCasesPage } from './my-cases-page';
