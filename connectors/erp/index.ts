export { default } from './erp.connector';
