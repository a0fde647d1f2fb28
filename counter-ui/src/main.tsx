import { render } from 'preact';
import { App } from './app';
import { StaffContext, createStaffStore } from './staff-store';
import './styles.css';

render(
  <StaffContext.Provider value={createStaffStore()}>
    <App />
  </StaffContext.Provider>,
  document.getElementById('app')!,
);
